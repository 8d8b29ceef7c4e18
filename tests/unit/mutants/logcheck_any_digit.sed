# file: scripts/guest/logcheck.awk
# {n} stands for letters too, not for digits only.
s|if (s !~ /^\[0-9\]/)|if (s !~ /^[0-9a-z]/)|
s|sub(/^\[0-9\]+/, "", s)|sub(/^[0-9a-z]+/, "", s)|
