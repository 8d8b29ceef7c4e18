# The solution of labs/keep_waiters: sed -f this on keep_waiters.c (make
# grade SOLUTION=1 and make check-all do). Delete this folder to hand the
# lab out without it.
/^\t*\/\*$/{N;/\n\t* \* TODO: /{:a;/\*\/$/!{N;ba};d}}
s/^\t\tinit_completion(&api_done);$/\t\treinit_completion(\&api_done);/
