ipvsadm -A -u [fd00::6]:domain
