"""The three Mesa agent types: Enterprise, ResearchInstitute, IndustrialPark."""

from agents.enterprise import Enterprise
from agents.institute import ResearchInstitute
from agents.park import IndustrialPark

__all__ = ["Enterprise", "IndustrialPark", "ResearchInstitute"]
