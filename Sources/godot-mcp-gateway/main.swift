import Gateway
print("x")
