# file: scripts/lib/kdir-hint.sh
# The headers package named whether apt has it or not.
s/^if apt-cache show "linux-headers-\$release" >\/dev\/null 2>&1; then/if true; then/
