"""The seed band: 5th to 95th percentile across seeds, by hand on small arrays."""

import numpy as np
import pandas as pd
import pytest

from chainshift.experiments.bands import band_table, band_text, quantiles, seed_band, wide_band


def test_band_of_five_values_by_hand():
    # sorted 1, 2, 3, 4, 5: the 5th percentile sits at position 0.05 * 4 = 0.2, between 1 and
    # 2: 1 + 0.2 * (2 - 1) = 1.2; the 95th at 3.8: 4 + 0.8 * (5 - 4) = 4.8
    mean, low, high, n = seed_band([5.0, 1.0, 4.0, 2.0, 3.0])
    assert (mean, n) == (3.0, 5)
    assert low == pytest.approx(1.2) and high == pytest.approx(4.8)
    assert low <= mean <= high


def test_band_of_three_uneven_values_by_hand():
    # sorted 7.9, 8.4, 9.9: the 5th percentile at position 0.05 * 2 = 0.1 is
    # 7.9 + 0.1 * 0.5 = 7.95, the 95th at 1.9 is 8.4 + 0.9 * 1.5 = 9.75; the mean 26.2 / 3
    mean, low, high, n = seed_band([8.4, 9.9, 7.9])
    assert mean == pytest.approx(26.2 / 3)
    assert low == pytest.approx(7.95) and high == pytest.approx(9.75)
    assert low <= mean <= high and n == 3


def test_nan_runs_are_left_out_and_one_value_is_its_own_band():
    assert seed_band([np.nan, 2.0, np.nan]) == (2.0, 2.0, 2.0, 1)
    mean, low, high, n = seed_band([np.nan])
    assert n == 0 and np.isnan(mean) and np.isnan(low) and np.isnan(high)


def test_level_sets_the_quantiles():
    assert quantiles() == pytest.approx((0.05, 0.95))
    assert quantiles(0.5) == pytest.approx((0.25, 0.75))
    _, low, high, _ = seed_band([1, 2, 3, 4, 5], level=0.5)
    assert (low, high) == (2.0, 4.0)
    with pytest.raises(ValueError):
        quantiles(1.0)


def test_tables_by_year_agree_with_the_band_of_each_year():
    frame = pd.DataFrame({"seed": [0, 1, 2, 0, 1, 2], "year": [2021] * 3 + [2022] * 3,
                          "x": [8.4, 9.9, 7.9, 1.0, 2.0, np.nan]})
    long = band_table(frame, ["x"])
    assert list(long.columns) == ["year", "indicator", "mean", "low", "high", "n"]
    r21 = long[long["year"] == 2021].iloc[0]
    assert (r21["low"], r21["high"]) == pytest.approx((7.95, 9.75))
    r22 = long[long["year"] == 2022].iloc[0]
    assert r22["n"] == 2 and r22["mean"] == pytest.approx(1.5)
    assert (r22["low"], r22["high"]) == pytest.approx((1.05, 1.95))
    wide = wide_band(frame, ["x"])
    assert list(wide.columns) == ["year", "x", "x_low", "x_high"]
    np.testing.assert_allclose(wide[["x", "x_low", "x_high"]].to_numpy(),
                               long[["mean", "low", "high"]].to_numpy())


def test_band_text():
    assert band_text(8.44, 7.91, 8.93) == "8.4 [7.9, 8.9]"
    assert band_text(7341, 7300, 7390, "{:,.0f}") == "7,341 [7,300, 7,390]"
    assert band_text(np.nan, np.nan, np.nan) == "n/a"
