"""qingfeng on Apache Spark: the same checks and ledger rules over archives and ledgers too big for one machine."""
