// The moby/ipvs side of tests/bench/peer: the calls kube-proxy's IPVS
// proxier makes through moby/ipvs (v1.1.0), on a table of N IPv4 TCP
// services with two masquerading real servers each.
//
//	moby-peer create N   NewService, then NewDestination twice, per service
//	moby-peer list N     GetServices, then GetDestinations per service
//
// It prints the counts it saw, so that the run can check the table.
package main

import (
	"fmt"
	"net"
	"os"
	"strconv"
	"syscall"

	"github.com/moby/ipvs"
)

// The i-th address after base.
func nth(base [4]byte, i int) net.IP {
	v := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	v += uint32(i)
	return net.IPv4(byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

func service(i int) *ipvs.Service {
	return &ipvs.Service{
		Address:       nth([4]byte{10, 96, 0, 0}, i),
		Protocol:      syscall.IPPROTO_TCP,
		Port:          80,
		SchedName:     "rr",
		Netmask:       0xffffffff,
		AddressFamily: syscall.AF_INET,
	}
}

func dest(i, k int) *ipvs.Destination {
	return &ipvs.Destination{
		Address:       nth([4]byte{10, 128, 0, 0}, 2*i+k),
		Port:          8080,
		Weight:        1,
		AddressFamily: syscall.AF_INET,
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, err)
	os.Exit(1)
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: moby-peer create|list N")
		os.Exit(2)
	}
	n, err := strconv.Atoi(os.Args[2])
	if err != nil {
		fail(err)
	}
	h, err := ipvs.New("")
	if err != nil {
		fail(err)
	}
	defer h.Close()
	switch os.Args[1] {
	case "create":
		for i := 0; i < n; i++ {
			s := service(i)
			if err := h.NewService(s); err != nil {
				fail(err)
			}
			for k := 0; k < 2; k++ {
				if err := h.NewDestination(s, dest(i, k)); err != nil {
					fail(err)
				}
			}
		}
		fmt.Println("created", n)
	case "list":
		svcs, err := h.GetServices()
		if err != nil {
			fail(err)
		}
		dests := 0
		for _, s := range svcs {
			ds, err := h.GetDestinations(s)
			if err != nil {
				fail(err)
			}
			dests += len(ds)
		}
		fmt.Println(len(svcs), "services", dests, "real servers")
	default:
		fail(fmt.Errorf("unknown operation %s", os.Args[1]))
	}
}
