package parallel

import "testing"

func TestFanIn(t *testing.T) {
	for _, tc := range cases {
		tc := tc
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			WaitFor(3, tc.skip)
		})
	}
}
