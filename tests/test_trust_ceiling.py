"""The threshold search of the filler-trust ceiling (detector_dev.filler.trust_ceiling)."""

from __future__ import annotations

import numpy as np
import pytest

from detector_dev.filler.trust_ceiling import best_tpr_at_fpr, fpr_threshold, measure

NEG = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
POS = [0.55, 0.85, 0.95, 1.5]


def test_the_lowest_threshold_within_the_rate():
    # 10% of 10 negatives: one may be flagged, so the threshold is the second highest
    assert fpr_threshold(NEG, 0.1) == 0.9
    assert best_tpr_at_fpr(NEG, POS, 0.1) == 0.5  # 0.95 and 1.5
    assert best_tpr_at_fpr(NEG, POS, 0.09) == 0.25  # none may be flagged: 1.5 only
    assert best_tpr_at_fpr(NEG, POS, 0.3) == 0.75  # three may: t = 0.7
    assert best_tpr_at_fpr(NEG, POS, 1.0) == 1.0  # all may: t = -inf


def test_ties_stay_on_one_side_of_the_threshold():
    neg = [0.0, 1.0, 1.0, 1.0, 2.0]
    pos = [1.0, 1.5, 3.0]
    # 40% of 5: two may be flagged, but any threshold under 1.0 flags four, so it
    # stays at 1.0, and the positive tied with it is not flagged either
    assert fpr_threshold(neg, 0.4) == 1.0
    assert best_tpr_at_fpr(neg, pos, 0.4) == pytest.approx(2 / 3)
    assert best_tpr_at_fpr(neg, pos, 0.6) == pytest.approx(2 / 3)  # three: still 1.0
    assert best_tpr_at_fpr(neg, pos, 0.8) == 1.0  # four: t = 0.0


def test_rate_times_n_is_not_rounded_down_by_floating_point():
    # 0.29 * 100 is 28.999999999999996: still 29 negatives may be flagged
    assert fpr_threshold(np.arange(100.0), 0.29) == 70.0


def test_every_group_holds_the_rate_too():
    neg = np.arange(10.0)
    pos = [7.5, 8.5, 9.5]
    # pooled, 20% of 10: t = 7 flags all three; the group of the five highest
    # negatives allows one of five: t = 8
    au, pooled, every = measure(neg, pos, [np.arange(5, 10)], rate=0.2)
    assert (au, pooled, every) == pytest.approx((0.9, 1.0, 2 / 3))
