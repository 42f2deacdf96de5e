package main

import "testing"

func TestDefaultCheckJobs(t *testing.T) {
	for cpus, want := range map[int]int{0: 1, 1: 1, 2: 2, 3: 2, 4: 2, 6: 4, 8: 5, 16: 10, 200: 64} {
		if got := defaultCheckJobs(cpus); got != want {
			t.Errorf("defaultCheckJobs(%d) = %d, want %d", cpus, got, want)
		}
	}
}
