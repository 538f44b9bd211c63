package decision

import "testing"

func TestCompute(t *testing.T) {
	for _, tc := range []struct {
		name  string
		costs map[string]int64
		bp    int
		year  [Years]int64
		total int64
	}{
		{"Empty", nil, 0, [Years]int64{}, 0},
		{"RecurringFlat", map[string]int64{LineLicence: 100_00, LineHosting: 50_00}, 0,
			[Years]int64{150_00, 150_00, 150_00, 150_00, 150_00}, 750_00},
		{"OneOffs", map[string]int64{LineImplementation: 1000_00, LineAdaptation: 200_00, LineTraining: 300_00, LineExit: 400_00}, 300,
			[Years]int64{1500_00, 0, 0, 0, 400_00}, 1900_00},
		// 3 % a year on 1,000.00 €: 1030.00, 1060.90, 1092.727 → 1092.73, 1125.5119 → 1125.51.
		{"Increase", map[string]int64{LineSupport: 1000_00}, 300,
			[Years]int64{100000, 103000, 106090, 109273, 112551}, 530914},
		// Half a cent rounds up: 0.01 € raised by 50 % is 0.015 → 0.02.
		{"RoundHalfUp", map[string]int64{LineLicence: 1}, 5000,
			[Years]int64{1, 2, 3, 5, 8}, 19},
		{"Largest", map[string]int64{LineLicence: MaxCents}, MaxIncreaseBP,
			[Years]int64{MaxCents, 150_000_000_000, 225_000_000_000, 337_500_000_000, 506_250_000_000}, 1_318_750_000_000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Compute(tc.costs, tc.bp)
			if got.Year != tc.year || got.Total != tc.total {
				t.Errorf("Compute = %v %d, want %v %d", got.Year, got.Total, tc.year, tc.total)
			}
			var sum int64
			for _, row := range got.ByLine {
				for _, v := range row {
					sum += v
				}
			}
			if sum != got.Total {
				t.Errorf("lines add up to %d, total %d", sum, got.Total)
			}
		})
	}
}
