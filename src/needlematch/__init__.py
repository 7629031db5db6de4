"""needlematch: a running-injury symptom checker that ranks likely injuries and escalates warning signs."""

__version__ = "0.1.0"
