"""relup"""
