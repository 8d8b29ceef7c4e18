# file: tools/lesson-diff.sh
# The thread prefixes are not set aside: a hunk that differs only in "dc-"/"ic-" is kept.
s/gsub(pa, "P-", l); gsub(pb, "P-", l)//
