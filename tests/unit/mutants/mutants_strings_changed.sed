# file: tools/mutants.py
# Strings and character constants are taken for code: a number in a message changes.
s/        elif c in "\\"'":/        elif c in "":/
