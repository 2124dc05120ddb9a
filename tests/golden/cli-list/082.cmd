ipvsadm -Z foo
