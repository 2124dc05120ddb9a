$IP_FULL link add sync0 type dummy && $IP_FULL link set sync0 multicast on up && $IP_FULL addr add 192.168.77.1/24 dev sync0
