# file: scripts/guest/logcheck.awk
# The "order:" edges are never found broken.
s|if (first_b && first_a && first_b > first_a)|if (0)|
