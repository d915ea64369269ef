"""authentication"""
