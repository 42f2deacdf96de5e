package main

import (
	"context"
	"flag"

	"github.com/pyverify/pyverify/verify"
)

func cmdPolicy(_ context.Context, u *ui, args []string) error {
	const cmd = "policy"
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	var (
		trust  trustFlags
		asJSON bool
	)
	fs.StringVar(&trust.policy, "policy", "", "")
	fs.BoolVar(&asJSON, "json", false, "")
	pos, err := parseFlags(cmd, fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef(cmd, "policy takes no arguments")
	}
	p, err := trust.loadPolicy()
	if err != nil {
		return err
	}
	if asJSON {
		return u.printJSON(p)
	}
	u.printPolicy(p, verify.DefaultKeyring())
	return nil
}
