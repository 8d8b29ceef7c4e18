# file: tools/coverage.py
# branch:N takes out every branch of the line, not the one named.
s/                if bi in skip:/                if skip:/
