"""Figures: the numbers derived from the data, so that a report can never disagree with it.

``budget`` computes the budget figures (调减, 执行率…); ``targets`` reads an indicator's target
and actual value; ``scoring`` scores a project; ``formats`` writes amounts and percentages as
the reports and the messages show them.
"""
