package ratelimit

import (
	"net/netip"
	"testing"
)

// FuzzSourceOf: any RemoteAddr string parses or is refused without a
// panic, and a parsed IPv6 source has its host bits cleared (one /64, one
// source).
func FuzzSourceOf(f *testing.F) {
	for _, s := range []string{"127.0.0.1:1", "[::1]:80", "[2001:db8::1%eth0]:1", "[::ffff:10.0.0.1]:2", "1.2.3.4", "", "[", "::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		src, ok := SourceOf(s)
		if !ok {
			return
		}
		a := netip.AddrFrom16(src).Unmap()
		if a.Is6() && [8]byte(src[8:]) != [8]byte{} {
			t.Fatalf("SourceOf(%q) = %v keeps host bits", s, a)
		}
	})
}
