"""The benchmark suite: a realistic workload generator, each benchmark against its baseline, the report."""
