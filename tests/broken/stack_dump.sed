# base: declare_completion
# expect: kernel-report
# A debugging leftover: dump_stack() once the job is done prints a call
# trace (only in the done and early cases: the stress cycles and the soak
# cancel the job). The kernel is not tainted and the log is otherwise
# right; only the report scan sees it.
s/^\t\tpr_info("signaller: job done, result %lu, completing\\n", job.result);$/\t{\n&\n\t\tdump_stack();\n\t}/
