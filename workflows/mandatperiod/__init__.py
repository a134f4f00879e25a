"""The mandate period: Vilja och mål and the four years of a newly elected KF."""
