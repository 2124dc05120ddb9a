ipvsadm -hx --bogus
