ipvsadm -Lcn
