"""The three Mesa agent types: Enterprise, ResearchInstitute, IndustrialPark."""

from chainshift.agents.enterprise import Enterprise
from chainshift.agents.institute import ResearchInstitute
from chainshift.agents.park import IndustrialPark

__all__ = ["Enterprise", "IndustrialPark", "ResearchInstitute"]
