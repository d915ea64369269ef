"""banned"""
