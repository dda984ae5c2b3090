"""Isolation builders: buyers (register with @tests.isolation.builder)."""
