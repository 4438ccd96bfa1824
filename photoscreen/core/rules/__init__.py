"""The centre's rules: activities and the one status function (policy), review by a second
person, and people's names compared as a person reads them.
"""
