# base: completion_api
# expect: complete-all try-wait stop [fuzz]
# kernels: 6.1
# "complete_all" is accepted and counted but releases nobody. Its readers
# in wait_for_completion() outlive the kill and the test's complete_all:
# the test must then release them itself, with a complete() each, so that
# they do not sleep on into the next section (and the hung-task detector's
# 30 s) and the failure stays in the sections that use complete_all. The
# fuzz fails or not by whether its random writers leave a reader waiting.
/^\t\tcomplete_all(&api_done);$/d
