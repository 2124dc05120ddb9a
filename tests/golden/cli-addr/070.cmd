ipvsadm -A -t [::ffff:1.2.3.4]:83
