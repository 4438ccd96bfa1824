"""Helpers shared by the tests: generated photos and metadata, parser cases, ONNX models
written byte by byte, sessions ready to use.
"""
