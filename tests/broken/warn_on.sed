# base: declare_completion
# expect: kernel-report stress taint
# A WARN_ON() fires in the signaller on its way out, in every case,
# stress cycles included; a WARN taints the kernel (W).
s/^\tcomplete(&done);$/\tWARN_ON(1);\n\tcomplete(\&done);/
