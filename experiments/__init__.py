"""Experiments: parameter sweeps, sensitivity analysis and paired scenario comparisons.

A study is data (a sweep spec, :mod:`experiments.spec`) plus an executor (local processes or
a Dask cluster, :mod:`experiments.executors`), and writes a results folder
(:mod:`experiments.store`). See docs/EXPERIMENTS.md.
"""
