"""Face detection: the CenterFace model, run on the CPU over several looks at a photo, and the
looks merged into one box per face.
"""
