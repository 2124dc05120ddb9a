modprobe -r ip_vs_lblcr ip_vs_mh ip_vs && echo unloaded
