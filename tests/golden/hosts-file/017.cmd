ipvsadm -a -t [fd00::8]:80 -r [::ffff:10.0.0.7]:80 -m
