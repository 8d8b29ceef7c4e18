# base: completion_api
# expect: complete-all reinit-waiting reinit-after-all try-wait read-args timeout signals stop ctl rmmod-busy [fuzz]
# kernels: 6.1
# "reinit" is accepted but does nothing: after complete_all() the
# completion stays done, so every wait that follows returns at once. Each
# section of the test starts with a reinit: those after complete-all find
# nobody waiting.
/^\t\treinit_completion(&api_done);$/d
