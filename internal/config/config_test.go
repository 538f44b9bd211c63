package config

import (
	"flag"
	"io"
	"testing"
)

func TestRegister(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		want    func(c *Config) bool
		wantErr bool
	}{
		{"defaults", nil, nil, func(c *Config) bool {
			d := Defaults
			d.BaseURL = "http://127.0.0.1:8080"
			return *c == d
		}, false},
		{"base url", []string{"-base-url", "https://kommunen.example"}, nil, func(c *Config) bool { return c.BaseURL == "https://kommunen.example" }, false},
		{"bad base url", []string{"-base-url", "ftp://x"}, nil, nil, true},
		{"env", nil, map[string]string{EnvDB: "postgres://x", EnvAddr: ":9000", EnvTrustProxy: "true"},
			func(c *Config) bool { return c.DB == "postgres://x" && c.Addr == ":9000" && c.TrustProxy }, false},
		{"flag beats env", []string{"-db", "a.db"}, map[string]string{EnvDB: "b.db"}, func(c *Config) bool { return c.DB == "a.db" }, false},
		{"bad log format", []string{"-log-format", "xml"}, nil, nil, true},
		{"bad trust", nil, map[string]string{EnvTrustProxy: "maybe"}, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := flag.NewFlagSet("t", flag.ContinueOnError)
			fs.SetOutput(io.Discard)
			c, validate := Register(fs, func(k string) string { return tt.env[k] }, true)
			if err := fs.Parse(tt.args); err != nil {
				t.Fatal(err)
			}
			err := validate()
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v", err)
			}
			if err == nil && !tt.want(c) {
				t.Fatalf("config = %+v", *c)
			}
		})
	}
}
