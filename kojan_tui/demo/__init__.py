"""The embedded AWS of --demo: a moto server, the fidelity moto lacks, a simulator and scenarios."""
