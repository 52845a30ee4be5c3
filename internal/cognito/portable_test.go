package cognito

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

func testSealer(t testing.TB, b byte) *Sealer {
	t.Helper()
	s, err := NewSealer(bytes.Repeat([]byte{b}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// sampleDeployment is a small valid document sealed under s.
func sampleDeployment(s *Sealer) *Deployment {
	t0 := time.Date(2026, 1, 2, 3, 4, 5, 6e6, time.UTC)
	sub := "0b6e5a8e-1111-4222-8333-444455556666"
	return &Deployment{Format: PortableFormat, Version: PortableVersion, ExportedAt: t0, KeyCheck: s.KeyCheck(),
		AccessKeys: []PortableAccessKey{{AccessKeyID: "AKIAEXAMPLE", SealedSecret: s.Seal(accessKeyPurpose("AKIAEXAMPLE"), []byte("x")),
			CreationDate: t0, Name: "ci", Policy: `{"Version":"2012-10-17","Statement":[]}`}},
		UserPools: []PortablePool{{ID: "us-east-1_Abc123", Name: "p", CreationDate: t0, LastModifiedDate: t0,
			Settings:   PoolSettings{UserPoolTags: map[string]string{"team": "a"}},
			AppClients: []PortableClient{{ClientID: "client1", SealedSecret: s.Seal(clientSecretPurpose("client1"), []byte("sec")), CreationDate: t0, LastModifiedDate: t0}},
			Domain:     &PortableDomain{Domain: "pfx", CreationDate: t0, ManagedLoginVersion: 1},
			Users:      []PortableUser{{Username: "alice", UsernameKey: "alice", Sub: sub, Status: StatusConfirmed, Enabled: true, CreationDate: t0, LastModifiedDate: t0}},
			Groups:     []PortableGroup{{Name: "admins", CreationDate: t0, LastModifiedDate: t0, Members: []string{sub}}},
		}},
	}
}

func encode(t testing.TB, d *Deployment) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := EncodeDeployment(&b, d); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestDecodeDeploymentRoundTrip(t *testing.T) {
	s := testSealer(t, 1)
	d := sampleDeployment(s)
	got, err := DecodeDeployment(bytes.NewReader(encode(t, d)))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(encode(t, got), encode(t, d)) {
		t.Errorf("round trip changed the document")
	}
	if err := got.CheckKey(s); err != nil {
		t.Errorf("CheckKey under the same key: %v", err)
	}
	if err := got.CheckKey(testSealer(t, 2)); !errors.Is(err, ErrWrongMasterKey) {
		t.Errorf("CheckKey under another key: %v", err)
	}
}

// TestCheckKeyOpensSecrets: a KeyCheck copied from a document of this
// deployment does not carry secrets sealed under another key.
func TestCheckKeyOpensSecrets(t *testing.T) {
	here, there := testSealer(t, 1), testSealer(t, 2)
	d := sampleDeployment(there)
	d.KeyCheck = here.KeyCheck()
	if err := d.CheckKey(here); !errors.Is(err, ErrWrongMasterKey) {
		t.Errorf("foreign secrets under a copied KeyCheck: %v", err)
	}
	// A secret moved to another row does not open there either.
	d = sampleDeployment(here)
	d.UserPools[0].AppClients[0].SealedSecret = d.AccessKeys[0].SealedSecret
	if err := d.CheckKey(here); !errors.Is(err, ErrWrongMasterKey) {
		t.Errorf("secret moved between rows: %v", err)
	}
}

func TestDecodeDeploymentRefuses(t *testing.T) {
	s := testSealer(t, 1)
	good := string(encode(t, sampleDeployment(s)))
	mutate := func(f func(d *Deployment)) string {
		d := sampleDeployment(s)
		f(d)
		return string(encode(t, d))
	}
	cases := map[string]string{
		"empty":               "",
		"not JSON":            "{",
		"array":               "[]",
		"unknown top member":  strings.Replace(good, `"Format"`, `"Extra": 1, "Format"`, 1),
		"unknown nested":      strings.Replace(good, `"Username"`, `"Password": "x", "Username"`, 1),
		"unknown in settings": strings.Replace(good, `"UserPoolTags"`, `"NoSuchSetting": 1, "UserPoolTags"`, 1),
		"trailing data":       good + "{}",
		"wrong format":        mutate(func(d *Deployment) { d.Format = "other" }),
		"future version":      mutate(func(d *Deployment) { d.Version = 2 }),
		"bad pool ID":         mutate(func(d *Deployment) { d.UserPools[0].ID = "nounderscore" }),
		"bad region":          mutate(func(d *Deployment) { d.UserPools[0].ID = "mars_Abc123" }),
		"repeated pool":       mutate(func(d *Deployment) { d.UserPools = append(d.UserPools, d.UserPools[0]) }),
		"bad client ID":       mutate(func(d *Deployment) { d.UserPools[0].AppClients[0].ClientID = "a b" }),
		"unknown status":      mutate(func(d *Deployment) { d.UserPools[0].Users[0].Status = "ARCHIVED" }),
		"dangling member":     mutate(func(d *Deployment) { d.UserPools[0].Groups[0].Members = []string{"nobody"} }),
		"repeated key":        mutate(func(d *Deployment) { d.AccessKeys = append(d.AccessKeys, d.AccessKeys[0]) }),
		"root with policy":    mutate(func(d *Deployment) { d.AccessKeys[0].Root = true }),
		"bad key state": mutate(func(d *Deployment) {
			d.UserPools[0].SigningKeys = []PortableSigningKey{{KID: "k", SealedPrivateKey: []byte{1}, Status: "spare"}}
		}),
		"year 1969":         mutate(func(d *Deployment) { d.UserPools[0].CreationDate = time.Date(1969, 1, 1, 0, 0, 0, 0, time.UTC) }),
		"overlong tag":      mutate(func(d *Deployment) { d.UserPools[0].Settings.UserPoolTags["k"] = strings.Repeat("v", 257) }),
		"bad login version": mutate(func(d *Deployment) { d.UserPools[0].Domain.ManagedLoginVersion = 3 }),
	}
	for name, doc := range cases {
		if _, err := DecodeDeployment(strings.NewReader(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if _, err := DecodeDeployment(strings.NewReader(good)); err != nil {
		t.Fatalf("the unmutated document: %v", err)
	}
	// Oversized: the bound is checked while reading, not after.
	_, err := decodeDeployment(strings.NewReader(good), int64(len(good)-10))
	if err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized document: %v", err)
	}
	if _, err := decodeDeployment(strings.NewReader(good+strings.Repeat(" ", 100)), int64(len(good))); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Errorf("oversized by trailing space: %v", err)
	}
}

// FuzzDecodeDeployment: the decoder never panics, and what it accepts
// encodes and decodes again to the same document.
func FuzzDecodeDeployment(f *testing.F) {
	s := testSealer(f, 1)
	f.Add(encode(f, sampleDeployment(s)))
	f.Add([]byte(`{"Format":"cognitod-deployment","Version":1,"UserPools":[{"ID":"us-east-1_a"}]}`))
	f.Add([]byte(`{"Format":"cognitod-deployment","Version":1,"AccessKeys":null}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := decodeDeployment(bytes.NewReader(b), 1<<20)
		if err != nil {
			return
		}
		again, err := DecodeDeployment(bytes.NewReader(encode(t, d)))
		if err != nil {
			t.Fatalf("re-encoded document refused: %v", err)
		}
		x, _ := json.Marshal(d)
		y, _ := json.Marshal(again)
		if !bytes.Equal(x, y) {
			t.Fatalf("re-encoding changed the document:\n%s\n%s", x, y)
		}
	})
}
