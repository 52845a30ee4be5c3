package bench

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// OpenSSLRate is OpenSSL's RSA-2048 signing rate on this machine, the
// bound a native signer could approach.
type OpenSSLRate struct {
	// Before and After are the rates measured just before the load and
	// just after it (After is 0 until measured, or when that failed): a
	// shared machine's speed drifts over the seconds between them.
	Before, After float64
	Processes     int
	// Source says how it was measured ("openssl speed -seconds 3 -multi
	// 2 rsa2048", OpenSSL 3.0.19), or why it was not.
	Source string
}

// OpenSSLSignRate runs `openssl speed -seconds N -multi P rsa2048`, P
// being the machine's CPU count, and returns its sign/s figure: the
// total over the P processes. Without an openssl binary it returns an
// error saying so; the rate is then not reported (there is no OpenSSL in
// this process to measure instead).
func OpenSSLSignRate(ctx context.Context, d time.Duration) (*OpenSSLRate, error) {
	bin, err := exec.LookPath("openssl")
	if err != nil {
		return nil, errors.New("bench: no openssl binary on PATH: OpenSSL's signing rate not measured")
	}
	secs := max(1, int(d.Round(time.Second)/time.Second))
	procs := runtime.NumCPU()
	args := []string{"speed", "-seconds", strconv.Itoa(secs), "-multi", strconv.Itoa(procs), "rsa2048"}
	ctx, cancel := context.WithTimeout(ctx, time.Duration(secs)*time.Second+2*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, bin, args...).Output()
	if err != nil {
		return nil, fmt.Errorf("bench: openssl %s: %w", strings.Join(args, " "), err)
	}
	rate, err := parseOpenSSLSpeed(out)
	if err != nil {
		return nil, err
	}
	src := "openssl " + strings.Join(args, " ")
	if v, err := exec.CommandContext(ctx, bin, "version").Output(); err == nil {
		src += " (" + strings.TrimSpace(string(v)) + ")"
	}
	return &OpenSSLRate{Before: rate, Processes: procs, Source: src}, nil
}

// SignPerSec is the rate the ratio is taken to: the mean of Before and
// After when both were measured, else Before.
func (r *OpenSSLRate) SignPerSec() float64 {
	if r.After > 0 {
		return (r.Before + r.After) / 2
	}
	return r.Before
}

// measureAfter measures the rate again, after the load; a failure keeps
// the first figure alone.
func (r *OpenSSLRate) measureAfter(ctx context.Context, d time.Duration) {
	if r == nil {
		return
	}
	if again, err := OpenSSLSignRate(ctx, d); err == nil {
		r.After = again.Before
	}
}

// parseOpenSSLSpeed finds the summary line of `openssl speed rsa2048`,
//
//	                  sign    verify    sign/s verify/s
//	rsa 2048 bits 0.000949s 0.000045s   1053.5  21990.0
//
// and returns its sign/s column (with -multi, the sum over processes).
func parseOpenSSLSpeed(out []byte) (float64, error) {
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 7 && f[0] == "rsa" && f[1] == "2048" && f[2] == "bits" {
			v, err := strconv.ParseFloat(f[5], 64)
			if err == nil && v > 0 {
				return v, nil
			}
		}
	}
	return 0, errors.New("bench: no 'rsa 2048 bits' line with a sign/s figure in openssl speed's output")
}
