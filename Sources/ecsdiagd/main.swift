print("ecsdiagd")
