"""The embedded AWS of --demo: a moto server, the fidelity moto lacks, a simulator and scenarios.

Public interface: ``embedded.EmbeddedAws`` (start/stop a server subprocess, switch scenarios),
``scenarios.SCENARIOS`` (name -> Scenario), and ``python -m kojan_tui.demo.server`` for the AWS CLI.
"""
