# Generated from Qairon by qcli generate: edit network prod:aws:123456789012:us-east-1:us-east-1a:main-vpc there, not here.
resource "aws_vpc" "main-vpc" {
  cidr_block = "10.0.0.0/16"
  tags = {
    Name        = "main-vpc"
    environment = "prod"
    qairon_id   = "prod:aws:123456789012:us-east-1:us-east-1a:main-vpc"
  }
}

resource "aws_subnet" "main-vpc-eks0" {
  vpc_id            = aws_vpc.main-vpc.id
  cidr_block        = "10.0.0.0/22"
  availability_zone = "us-east-1a"
  tags = {
    Name      = "eks0"
    qairon_id = "prod:aws:123456789012:us-east-1:us-east-1a:main-vpc:eks0"
  }
}
