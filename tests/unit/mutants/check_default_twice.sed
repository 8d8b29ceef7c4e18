# file: scripts/check.sh
# A default of the runner's written again on the host (ROUNDS).
# suite: config.bats
/^ACCEL=\${ACCEL:-auto}$/i\
ROUNDS=${ROUNDS:-3}
