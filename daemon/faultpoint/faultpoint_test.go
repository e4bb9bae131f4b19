package faultpoint

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestReleaseBuildNeverHolds(t *testing.T) {
	t.Setenv(EnvHold, Signed)
	file := filepath.Join(t.TempDir(), "held")
	t.Setenv(EnvFile, file)
	if err := Hold(context.Background(), Signed, "sequence 3"); err != nil {
		t.Fatalf("a release build held: %v", err)
	}
	if _, err := os.Stat(file); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a release build wrote the hold file: %v", err)
	}
}

func TestRehearsalBuildHoldsAtTheNamedPointOnly(t *testing.T) {
	Enabled = "yes"
	t.Cleanup(func() { Enabled = "" })
	t.Setenv(EnvHold, Broadcast)
	file := filepath.Join(t.TempDir(), "held")
	t.Setenv(EnvFile, file)

	if err := Hold(context.Background(), Signed, "sequence 3"); err != nil {
		t.Fatalf("held at %s while %s was named: %v", Signed, Broadcast, err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Hold(ctx, Broadcast, "ABCD") }()
	for {
		bz, err := os.ReadFile(file)
		if err == nil && string(bz) == "broadcast ABCD\n" {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("returned before it was stopped: %v", err)
		case <-time.After(10 * time.Millisecond):
		}
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("want the context's error once stopped, got %v", err)
	}
}
