"""The document-aware section decision (detector.filler.decision, issue 17)."""

from __future__ import annotations

import numpy as np

from detector.filler.decision import SHIPPED_RULE, DecisionRule, decision_rule, logit


def test_plain_threshold_is_the_section_logit():
    rule = DecisionRule(section_logit=float(logit(0.9)))
    flags = rule.flags([0.5, 0.89, 0.95], [100, 100, 100], 0.5)
    assert flags.tolist() == [False, False, True]


def test_no_sections_no_flags():
    assert SHIPPED_RULE.flags([], [], 0.3).shape == (0,)


def test_support_never_flags_a_document_on_its_own():
    rule = DecisionRule(section_logit=3.0, support_logit=1.0)
    # no section over the main constant: nothing flagged, however many are over support
    assert not rule.flags([0.85, 0.9, 0.93], [80, 80, 80], 0.9).any()
    # one section over it: its supported neighbours follow
    assert rule.flags([0.85, 0.99, 0.5], [80, 80, 80], 0.9).tolist() == [True, True, False]


def test_short_sections_borrow_from_the_document():
    rule = DecisionRule(section_logit=2.0, prior_words=100)
    short = rule.flags([0.99], [10], 0.2)  # a short confident section in a human-looking doc
    long = rule.flags([0.99], [400], 0.2)
    assert not short[0] and long[0]


def test_round_trip_and_default_for_models_without_a_rule():
    rule = DecisionRule(section_logit=4.0, support_logit=2.5, doc_threshold=0.97)
    assert DecisionRule.from_dict(rule.to_dict()) == rule
    assert decision_rule(object()) is SHIPPED_RULE

    class WithRule:
        decision_ = rule.to_dict()

    assert decision_rule(WithRule()) == rule


def test_shipped_rule_is_stricter_than_the_old_section_threshold():
    p_old = 0.8726
    assert SHIPPED_RULE.section_logit > float(logit(p_old))
    assert 0.5 < SHIPPED_RULE.doc_threshold < 1.0
    assert np.isfinite(SHIPPED_RULE.section_logit)
