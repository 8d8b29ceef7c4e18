# file: scripts/lib/config.sh
# ck_given passes an empty value on ("NAME="), which overrides the guest's default.
/^ck_given() {/,/^}/s/\[ -z "\$ck_given_v" \] || ck_given_out=/ck_given_out=/
