"""The rule runtime the three inputs share: how a rule and a hit become a finding."""
